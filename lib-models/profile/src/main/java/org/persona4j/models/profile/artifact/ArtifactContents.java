package org.persona4j.models.profile.artifact;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.persona4j.models.nn.LeanProfileNetwork;

/**
 * What a model artifact holds: the manifest, the sequence encoder's JSON and the serving network.
 *
 * @param manifest the manifest (format, versions, schema hash, hyper-parameters, provenance)
 * @param encoderJson the fitted {@link org.persona4j.features.sequence.SequenceEncoder} as JSON
 * @param network the serving weights
 */
public record ArtifactContents(ObjectNode manifest, String encoderJson, LeanProfileNetwork network) {
}
