package org.persona4j.models.profile.artifact;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The entries of a format-1 artifact, whose weights are a DL4J network; only the training module
 * can turn it into a current artifact ({@code ProfileArtifacts.upgrade}). The bytes are not copied.
 *
 * @param manifest the manifest
 * @param encoderJson the sequence encoder as JSON
 * @param dl4jWeights the DL4J network archive (checksum verified)
 */
public record LegacyContents(ObjectNode manifest, String encoderJson, byte[] dl4jWeights) {
}
