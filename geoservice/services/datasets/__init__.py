"""The data catalog (Satu Data metadata, DCAT-AP 3): every dataset the service holds with its
metadata merged from its YAML and ``layers/catalog.yaml`` (:mod:`.metadata`), the figures computed
from the database (:mod:`.computed`), its distributions (:mod:`.distributions`), the DCAT graph
(:mod:`.dcat`) and the metadata quality score (:mod:`.quality`)."""
