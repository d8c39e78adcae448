/**
 * Reports which ND4J backend the SDK runs on (CPU or CUDA, native build, data type, thread counts,
 * versions) as plain Java values, read without changing ND4J's global state.
 */
package org.persona4j.models.backend;
