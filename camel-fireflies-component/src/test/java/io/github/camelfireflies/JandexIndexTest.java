/*
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.github.camelfireflies;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import io.github.camelfireflies.api.TranscriptionEvent;
import org.apache.camel.spi.UriEndpoint;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camel Quarkus only looks into jars that carry a Jandex index ({@code META-INF/jandex.idx}); without it a Quarkus app
 * fails with "cannot find component fireflies". The Camel build plugin writes the index: this proves that it is there,
 * next to the component's own classes (not some other jar's index), and that it knows the component.
 */
class JandexIndexTest {

    @Test
    void theComponentClassesCarryAJandexIndexThatKnowsTheComponent() throws Exception {
        Index index;
        URL location = FirefliesComponent.class.getProtectionDomain().getCodeSource().getLocation();
        Path root = Path.of(location.toURI());
        if (Files.isDirectory(root)) {
            Path idx = root.resolve("META-INF/jandex.idx");
            assertThat(idx).as("jandex index beside the component classes").exists();
            try (InputStream in = Files.newInputStream(idx)) {
                index = new IndexReader(in).read();
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                ZipEntry entry = jar.getEntry("META-INF/jandex.idx");
                assertThat(entry).as("META-INF/jandex.idx in " + root.getFileName()).isNotNull();
                try (InputStream in = jar.getInputStream(entry)) {
                    index = new IndexReader(in).read();
                }
            }
        }

        ClassInfo component = index.getClassByName(DotName.createSimple(FirefliesComponent.class.getName()));
        assertThat(component).as("FirefliesComponent in the index").isNotNull();
        assertThat(component.declaredAnnotation(
                DotName.createSimple(org.apache.camel.spi.annotations.Component.class.getName())).value().asString())
                .isEqualTo("fireflies");
        ClassInfo endpoint = index.getClassByName(DotName.createSimple(FirefliesEndpoint.class.getName()));
        assertThat(endpoint).isNotNull();
        assertThat(endpoint.declaredAnnotation(DotName.createSimple(UriEndpoint.class.getName()))).isNotNull();
        assertThat(index.getClassByName(DotName.createSimple(TranscriptionEvent.class.getName()))).isNotNull();
    }
}
