/** RFC 9457 problem+json error responses for every endpoint. */
package io.terrafield.api.problems;
