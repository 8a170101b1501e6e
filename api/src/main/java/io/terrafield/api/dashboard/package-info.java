/**
 * The live map dashboard ({@code /}, static Leaflet page polling the EDR endpoints) and its offline
 * base layer.
 */
package io.terrafield.api.dashboard;
