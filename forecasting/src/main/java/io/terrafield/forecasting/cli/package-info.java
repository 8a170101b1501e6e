/** The picocli {@code forecast} command ({@code evaluate}, {@code bench}). */
package io.terrafield.forecasting.cli;
