"""Progress of the data collection: campaigns as data, figures per kelurahan and roll-ups,
the quality queue, the coordination report."""
