package io.tribune.api.cache;

/** Told about changes of one {@link ChangeKind}. Called on the feed's thread: implementations must be fast. */
public interface ChangeListener {

    /** The thing with this id changed (or may have). */
    void changed(String id);

    /** Changes may have been missed (the feed lost its connection): forget everything. */
    void reset();
}
