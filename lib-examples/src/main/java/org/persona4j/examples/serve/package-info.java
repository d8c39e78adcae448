/**
 * The example HTTP service ({@code persona4j serve}): a JSON API over the engine, built only on the
 * SDK's public API and the JDK's HTTP server.
 */
package org.persona4j.examples.serve;
