/** Example host: the engine with item-kNN and the in-memory store, without ND4J, DL4J, RocksDB or Jedis. */
package org.persona4j.examples.host;
