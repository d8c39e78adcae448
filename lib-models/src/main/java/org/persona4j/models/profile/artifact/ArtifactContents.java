package org.persona4j.models.profile.artifact;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a model artifact holds: the manifest, the sequence encoder's JSON and the serialized DL4J
 * network. The byte array is not copied (callers must not change it).
 *
 * @param manifest the manifest (format, versions, schema hash, hyper-parameters, provenance)
 * @param encoderJson the fitted {@link org.persona4j.features.sequence.SequenceEncoder} as JSON
 * @param weights the DL4J network (ModelSerializer zip)
 */
public record ArtifactContents(ObjectNode manifest, String encoderJson, byte[] weights) {
}
