/** Treatment-effect estimates over HTTP ({@code POST /effects}), backed by the causal module. */
package io.terrafield.api.effects;
