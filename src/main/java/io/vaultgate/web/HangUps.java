package io.vaultgate.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.concurrent.CompletableFuture;

/**
 * Work a caller stops waiting for ends when its connection closes. Micronaut does not cancel a
 * single result when the client hangs up (micronaut-core#8140), so a long-poll whose client went
 * away would otherwise keep its place until its timeout.
 */
public final class HangUps {

    private HangUps() {}

    /**
     * Completes {@code work} with {@code unread} if the connection of {@code request} closes first.
     * Completing rather than cancelling keeps an error out of the logs: nobody reads the answer.
     */
    public static <T> void endOnHangUp(HttpRequest<?> request, CompletableFuture<T> work, T unread) {
        if (request instanceof NettyHttpRequest<?> netty) {
            ChannelFuture closed = netty.getChannelHandlerContext().channel().closeFuture();
            GenericFutureListener<ChannelFuture> end = future -> work.complete(unread);
            closed.addListener(end);
            // A keep-alive connection serves many requests: leave no listener behind on it.
            work.whenComplete((result, error) -> closed.removeListener(end));
        }
    }
}
