package io.tribune.api.resources;

/**
 * Query parameters of paged lists, validated as text so that a bad value is a 400 naming the parameter (Jersey
 * answers 404 for a query parameter it cannot convert). Constants only.
 */
final class Paging {

    /** 1 to 999,999,999. */
    static final String PAGE = "^[1-9][0-9]{0,8}$";
    static final String PAGE_MESSAGE = "must be a whole number from 1";
    /** 1 to 100. */
    static final String SIZE = "^([1-9]|[1-9][0-9]|100)$";
    static final String SIZE_MESSAGE = "must be a whole number from 1 to 100";

    private Paging() {
    }
}
