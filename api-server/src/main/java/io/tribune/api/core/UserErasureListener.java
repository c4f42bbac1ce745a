package io.tribune.api.core;

import org.jdbi.v3.core.Handle;

import java.util.UUID;

/**
 * Told when an account is erased (GDPR), inside the erasure transaction, before the account's row is
 * anonymised: the place to cancel or hand over what the account owns (meetings it hosts) and to delete personal
 * data other tables hold about it. Throwing aborts the erasure (the transaction rolls back and the caller gets
 * the error). Register with {@link UserDataHooks#addErasureListener}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface UserErasureListener {

    /**
     * @param handle   the erasure transaction's handle; use it for every change, so it commits or rolls back
     *                 with the erasure
     * @param userId   the account being erased
     * @param erasedBy who asked: the account itself or an admin
     */
    void onErase(Handle handle, UUID userId, UUID erasedBy);
}
