package io.tribune.hls.live;

/** Told about files as they become final, to copy them to object storage. Called on the ingest thread. */
public interface RenditionListener {

    void onInit(Rendition rendition, String fileName, byte[] bytes);

    void onSegment(Rendition rendition, Segment segment, String fileName);

    RenditionListener NONE = new RenditionListener() {
        @Override
        public void onInit(Rendition rendition, String fileName, byte[] bytes) {
        }

        @Override
        public void onSegment(Rendition rendition, Segment segment, String fileName) {
        }
    };
}
