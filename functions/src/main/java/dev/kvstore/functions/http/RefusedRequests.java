package dev.kvstore.functions.http;

import java.net.URI;
import java.net.URISyntaxException;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

import dev.kvstore.functions.dispatch.Answers;
import dev.kvstore.functions.dispatch.ApiResponse;
import dev.kvstore.functions.dispatch.RequestId;
import dev.kvstore.problem.ApiException;

/**
 * Requests that cannot reach the application, answered with problem+json like every
 * other: Netty could not decode them (a broken request line or header, one too long), or
 * their target is no URI (WebFlux would refuse it with an empty 400). The connection is
 * closed after the answer: what follows on it cannot be trusted to be framed.
 */
final class RefusedRequests extends ChannelInboundHandlerAdapter {

	private static final String NAME = "kvstore.refusedRequests";

	private boolean discarding;

	/** Puts the handler on every new connection, between the HTTP codec and Reactor. */
	static NettyServerCustomizer onEveryConnection() {
		return (server) -> server.doOnChannelInit((observer, channel, address) -> {
			if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
				channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, NAME, new RefusedRequests());
			}
		});
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (this.discarding && message instanceof HttpContent) {
			ReferenceCountUtil.release(message);
			return;
		}
		if (message instanceof HttpRequest request) {
			ApiException refusal = refusal(request);
			if (refusal != null) {
				this.discarding = true;
				ReferenceCountUtil.release(message);
				answer(context, refusal);
				return;
			}
		}
		context.fireChannelRead(message);
	}

	private static ApiException refusal(HttpRequest request) {
		if (request.decoderResult().isFailure()) {
			return (request.decoderResult().cause() instanceof TooLongFrameException)
					? new ApiException.TooLarge("the request line or its headers are too large")
					: new ApiException.Malformed("the request could not be read");
		}
		try {
			new URI(request.uri());
			return null;
		}
		catch (URISyntaxException ex) {
			return new ApiException.Malformed(
					"the request target is not a valid URI: check the percent-encoding of its path and query string");
		}
	}

	private static void answer(ChannelHandlerContext context, ApiException refusal) {
		ApiResponse problem = Answers.failure(refusal, "");
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.valueOf(problem.status()), Unpooled.wrappedBuffer(problem.body()));
		problem.headers().forEach(response.headers()::set);
		response.headers()
			.set(RequestId.HEADER, RequestId.choose(null))
			.setInt(HttpHeaderNames.CONTENT_LENGTH, problem.body().length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
