package org.harpjava.exapp.nextcloud;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Receives a response body into an {@link OutputStream}, one buffer list at a time, recording activity for the
 * idle timeout. Past {@code limit} bytes it either fails ({@code strict}) or drops the rest.
 */
final class BodySink implements HttpResponse.BodySubscriber<Long> {
    /** The sink's stream failed; carries that failure. */
    static final class SinkException extends IOException {
        SinkException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The body was larger than a strict limit. */
    static final class TooLargeException extends IOException {
        TooLargeException(long limit) {
            super("the answer is larger than " + limit + " bytes");
        }
    }

    private final OutputStream out;
    private final long limit;
    private final boolean strict;
    private final Activity activity;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long count;

    BodySink(OutputStream out, long limit, boolean strict, Activity activity) {
        this.out = out;
        this.limit = limit;
        this.strict = strict;
        this.activity = activity;
    }

    @Override
    public CompletionStage<Long> getBody() {
        return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        activity.touch();
        try {
            for (ByteBuffer b : items) {
                int n = b.remaining();
                long room = limit - count;
                if (n > room && strict) {
                    throw new TooLargeException(limit);
                }
                int take = (int) Math.min(n, Math.max(0, room));
                if (take > 0) {
                    write(b, take);
                }
                count += n;
            }
        } catch (IOException e) {
            subscription.cancel();
            done.completeExceptionally(e);
            return;
        }
        subscription.request(1);
    }

    private void write(ByteBuffer b, int take) throws SinkException {
        try {
            if (b.hasArray()) {
                out.write(b.array(), b.arrayOffset() + b.position(), take);
            } else {
                byte[] chunk = new byte[take];
                b.duplicate().get(chunk);
                out.write(chunk);
            }
        } catch (IOException e) {
            throw new SinkException(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        done.complete(count);
    }
}
