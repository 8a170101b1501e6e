/**
 * RFC 9457 problem+json for every error: Spring MVC's own exceptions and ours ({@link
 * io.terrafield.api.problems.ProblemHandler}), the servlet error page ({@code /error}) and Tomcat's
 * last-resort page for requests it rejects before any servlet runs.
 */
package io.terrafield.api.problems;
