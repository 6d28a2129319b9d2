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
package io.github.camelfireflies.example.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Live captions of a meeting on Spring Boot. The {@code fireflies} component is configured entirely by
 * {@code application.properties} ({@code camel.component.fireflies.*}, bound by camel-fireflies-spring-boot-starter);
 * without {@code FIREFLIES_API_KEY} the bundled simulator plays a scripted meeting on 127.0.0.1
 * ({@link SimulatorConfiguration}).
 */
@SpringBootApplication
public class LiveCaptionsApplication {

    public static void main(String[] args) {
        SpringApplication.run(LiveCaptionsApplication.class, args);
    }
}
