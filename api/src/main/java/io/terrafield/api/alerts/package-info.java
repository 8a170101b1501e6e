/**
 * Exceedance alerts: {@code GET /alerts} (recent alerts as a GeoJSON FeatureCollection) and {@code
 * GET /alerts/stream} (server-sent events, one event per new alert, fed by {@link
 * io.terrafield.api.alerts.AlertBroadcaster}).
 */
package io.terrafield.api.alerts;
