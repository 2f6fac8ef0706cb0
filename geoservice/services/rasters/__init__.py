"""Rasters (``layers/rasters/``): storage and import of their COGs (``storage``), drawing
tiles, points and legends (``render``), zonal statistics per desa/kelurahan with exactextract
(``zonal``), and who may see which and the indicator values they become (``access``)."""
