package org.persona4j.models.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class BackendInfoTest {
    @Test
    void reportsTheCpuBackendWithoutChangingGlobals() {
        var before = Nd4j.defaultFloatingPointType();
        BackendInfo info = BackendInfo.current();
        System.out.println(info);
        assertEquals("CPU", info.backend());
        assertTrue(info.nativeBuild().startsWith("linux-") || info.nativeBuild().startsWith("mac")
                || info.nativeBuild().startsWith("windows") || info.nativeBuild().equals("unknown"), info.nativeBuild());
        assertTrue(info.ompThreads() > 0, "omp threads " + info.ompThreads());
        assertFalse(info.nd4jVersion().isBlank());
        assertEquals(before.name(), info.dataType());
        assertEquals(before, Nd4j.defaultFloatingPointType());
        assertEquals("CPU", info.toMap().get("backend"));
    }
}
