/**
 * The {@code effect} picocli command ({@link io.terrafield.causal.cli.EffectCommand}) with
 * subcommands {@code estimate}, {@code simulate}, {@code trials} and {@code benchmark}; raster
 * features (point values, buffer statistics, average pooling) come from the imagery module.
 */
package io.terrafield.causal.cli;
