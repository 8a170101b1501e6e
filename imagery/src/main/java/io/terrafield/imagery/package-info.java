/**
 * Satellite and map rasters for Terrafield: GeoTIFF reading and writing with Apache SIS, WGS84
 * sampling (nearest, bilinear), buffer statistics in metres in any CRS, average pooling and
 * aggregation to a target grid, Landsat band maps and spectral indices, per-target scene features
 * for the satellite stream, and patch feature extractors (statistics/texture and TorchScript via
 * DJL). Entry points: {@link io.terrafield.imagery.Rasters}, {@link
 * io.terrafield.imagery.GeoRaster}, {@link io.terrafield.imagery.SceneFeatureExtractor} and {@link
 * io.terrafield.imagery.PatchFeatureExtractor}.
 */
package io.terrafield.imagery;
