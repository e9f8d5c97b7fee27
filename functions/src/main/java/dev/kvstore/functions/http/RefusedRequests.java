package dev.kvstore.functions.http;

import java.net.URI;
import java.net.URISyntaxException;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.HttpOperations;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

import dev.kvstore.functions.dispatch.ApiResponse;
import dev.kvstore.json.ApiJson;
import dev.kvstore.problem.ApiException;
import dev.kvstore.problem.Problem;

/**
 * Requests that cannot reach the application, answered with problem+json like every
 * other: Netty could not decode them (a broken request line or header, one too long, a
 * chunked body whose framing breaks before the application answered), their HTTP version
 * is neither 1.0 nor 1.1, or their target is no URI (WebFlux would refuse it with an
 * empty 400), or their body stops short when the client shuts its side down. The answer
 * carries no X-Request-ID: the request never reached the application. The connection is
 * closed after it: what follows on it cannot be trusted to be framed.
 */
final class RefusedRequests extends ChannelInboundHandlerAdapter {

	private static final String NAME = "kvstore.refusedRequests";

	/** A refusal was answered: what else arrives on the connection is dropped. */
	private boolean refused;

	/** A request's head has arrived and the end of its body not yet. */
	private boolean inBody;

	/**
	 * Puts the handler on every new connection, between the HTTP codec and Reactor; and
	 * keeps a connection open for the answer when the client has shut down its sending
	 * side after the request (as some clients do), instead of closing it unanswered.
	 */
	static NettyServerCustomizer onEveryConnection() {
		return (server) -> server.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.doOnChannelInit((observer, channel, address) -> {
				if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
					channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, NAME, new RefusedRequests());
				}
			});
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (this.refused && message instanceof HttpContent) {
			ReferenceCountUtil.release(message);
			return;
		}
		Problem refusal = switch (message) {
			case HttpRequest request -> refusal(request);
			case HttpContent content when content.decoderResult().isFailure() && !answering(context) ->
				Problem.of(new ApiException.Malformed("the request body could not be read to its end"));
			default -> null;
		};
		if (refusal != null) {
			ReferenceCountUtil.release(message);
			refuse(context, refusal);
			return;
		}
		if (message instanceof HttpRequest || message instanceof HttpContent) {
			this.inBody = !(message instanceof LastHttpContent);
		}
		context.fireChannelRead(message);
	}

	/**
	 * The client shut its side down in the middle of a body (fewer bytes than its
	 * Content-Length): the rest will never come, so the request is answered now rather
	 * than left waiting. One that shuts it down while an event stream is open has gone:
	 * the stream ends now, not at its next heartbeat.
	 */
	@Override
	public void userEventTriggered(ChannelHandlerContext context, Object event) {
		if (event instanceof ChannelInputShutdownEvent && streaming(context)) {
			context.close();
			return;
		}
		if (event instanceof ChannelInputShutdownEvent && this.inBody && !this.refused) {
			if (answering(context)) {
				context.close();
			}
			else {
				refuse(context, Problem.of(new ApiException.Malformed("the request body ended before its end")));
			}
			return;
		}
		context.fireUserEventTriggered(event);
	}

	private void refuse(ChannelHandlerContext context, Problem problem) {
		this.refused = true;
		this.inBody = false;
		answer(context, problem);
	}

	private static Problem refusal(HttpRequest request) {
		if (request.decoderResult().isFailure()) {
			return Problem.of((request.decoderResult().cause() instanceof TooLongFrameException)
					? new ApiException.TooLarge("the request line or its headers are too large")
					: new ApiException.Malformed("the request could not be read"));
		}
		if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)
				&& !request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
			return Problem.notSupported(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED.code());
		}
		try {
			new URI(request.uri());
			return null;
		}
		catch (URISyntaxException ex) {
			return Problem.of(new ApiException.Malformed(
					"the request target is not a valid URI: check the percent-encoding of its path and query string"));
		}
	}

	/** Whether the connection's answer is an event stream under way. */
	private static boolean streaming(ChannelHandlerContext context) {
		return ChannelOperations.get(context.channel()) instanceof HttpOperations<?, ?> http && http.hasSentHeaders()
				&& http instanceof HttpServerResponse response
				&& String.valueOf(response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE))
					.startsWith(ApiResponse.EVENT_STREAM);
	}

	/** Whether the application has begun its answer to the request on this connection. */
	private static boolean answering(ChannelHandlerContext context) {
		return ChannelOperations.get(context.channel()) instanceof HttpOperations<?, ?> http && http.hasSentHeaders();
	}

	private static void answer(ChannelHandlerContext context, Problem problem) {
		byte[] body = ApiJson.mapper().writeValueAsBytes(problem);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.valueOf(problem.status()), Unpooled.wrappedBuffer(body));
		response.headers()
			.set("Content-Type", Problem.MEDIA_TYPE)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
