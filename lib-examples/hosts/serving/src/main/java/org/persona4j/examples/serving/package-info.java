/** Example host: serves a trained profile-model artifact without DL4J or ND4J on the class path. */
package org.persona4j.examples.serving;
