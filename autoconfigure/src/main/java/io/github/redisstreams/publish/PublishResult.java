/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.redisstreams.publish;

/**
 * What a publication produced.
 *
 * @param stream the key of the stream the entry was added to: the request's stream, or
 * for a partitioned stream the partition's key ({@code orders:{3}})
 * @param id the id Redis assigned to the entry; for a delayed message its schedule id
 * ({@code <32 hexadecimal digits>@<stream key>}, for
 * {@link StreamPublisher#cancel(String)}); for a duplicate the first publication's id (an
 * entry id, or a schedule id if it was delayed)
 * @param duplicate whether the request was a duplicate of an earlier publication and
 * nothing was added or scheduled
 * @since 0.4.0
 */
public record PublishResult(String stream, String id, boolean duplicate) {

}
