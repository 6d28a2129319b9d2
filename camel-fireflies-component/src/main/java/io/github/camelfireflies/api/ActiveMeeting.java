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
package io.github.camelfireflies.api;

import java.util.Objects;

/**
 * One entry of {@code active_meetings}: a meeting in progress that Fireflies is recording.
 *
 * @param id             the meeting's transcript id (what the Realtime API subscribes to)
 * @param title          its title, or null
 * @param organizerEmail the organizer's e-mail, or null
 * @param meetingLink    the meeting link, or null
 * @param startTime      start time as the API gives it (ISO-8601 text or epoch milliseconds), or null
 * @param endTime        planned end time, or null
 * @param privacy        the privacy setting, or null
 * @param state          {@code active} or {@code paused}
 */
public record ActiveMeeting(
        String id,
        String title,
        String organizerEmail,
        String meetingLink,
        String startTime,
        String endTime,
        String privacy,
        String state) {

    public ActiveMeeting {
        Objects.requireNonNull(id, "id");
    }
}
