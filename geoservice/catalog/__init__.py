"""The layer catalog: ``layers/*.yaml`` loaded into validated models, and attribute validation.

A layer is data, not code: a new YAML file in ``layers/`` adds a layer to the API, the imports and
the maps. Files are validated strictly (unknown keys are errors) and every error names the file
and the path inside it, so a typo is found at startup rather than at the first request.

``models`` holds the file models, ``values`` the attribute coercion and its problems, ``loading``
the loading and reloading; everything is imported from here.
"""

from geoservice.catalog.loading import (
    INDICATOR_FOLDER,
    Catalog,
    CatalogError,
    CatalogFiles,
    load_catalog,
    load_indicator,
    load_layer,
)
from geoservice.catalog.models import (
    IDENTIFIER,
    PERIOD_PATTERN,
    AttributeDef,
    AttributeType,
    IndicatorDef,
    LayerDef,
    LayerStyle,
    LocalizedText,
    NameRule,
)
from geoservice.catalog.values import (
    CONTROL_CHARACTERS,
    INTEGER_MAX,
    INTEGER_MIN,
    MAX_TEXT_LENGTH,
    has_control_characters,
    is_empty,
)

__all__ = [
    "CONTROL_CHARACTERS",
    "IDENTIFIER",
    "INDICATOR_FOLDER",
    "INTEGER_MAX",
    "INTEGER_MIN",
    "MAX_TEXT_LENGTH",
    "PERIOD_PATTERN",
    "AttributeDef",
    "AttributeType",
    "Catalog",
    "CatalogError",
    "CatalogFiles",
    "IndicatorDef",
    "LayerDef",
    "LayerStyle",
    "LocalizedText",
    "NameRule",
    "has_control_characters",
    "is_empty",
    "load_catalog",
    "load_indicator",
    "load_layer",
]
