/**
 * OGC API discovery: the landing page (JSON with links; the dashboard by content negotiation or
 * {@code f=html}) and the conformance declaration listing only the classes implemented.
 */
package io.terrafield.api.edr;
