package dev.bulwark.server.api;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself (an ambiguous or malformed URI, a header too large) as RFC 9457 problems like the
 * API's own, with Jetty's one-line reason and never a stack trace.
 */
public final class ProblemErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        String title = HttpStatus.getMessage(code);
        String detail = message == null || message.isBlank() ? title : message.lines().findFirst().orElse(title);
        if (detail.length() > 300) detail = detail.substring(0, 300);
        String instance;
        try {
            instance = request.getHttpURI().getPath();
        } catch (RuntimeException e) {
            instance = "";
        }
        ApiHandler.problem(response, callback, code, title, detail, instance);
    }
}
