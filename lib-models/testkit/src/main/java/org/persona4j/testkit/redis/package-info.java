/** Starts a private {@code redis-server} on a free loopback port for tests and benchmarks. */
package org.persona4j.testkit.redis;
