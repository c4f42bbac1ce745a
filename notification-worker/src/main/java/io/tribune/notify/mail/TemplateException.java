package io.tribune.notify.mail;

/** A template that does not exist, or a placeholder the caller gave no value for. */
public final class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TemplateException(String message) {
        super(message);
    }
}
