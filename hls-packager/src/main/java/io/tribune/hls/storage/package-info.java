/** The copy of every event in object storage (S3 API): segments as they complete, VOD playlists at the end. */
package io.tribune.hls.storage;
