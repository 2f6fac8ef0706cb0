"""Domain logic, called by the HTTP routers and the CLI alike."""
