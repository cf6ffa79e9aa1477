import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.newsdesk.v1.ArticleMatch;
import io.newsdesk.v1.ArticleMetadata;
import io.newsdesk.v1.FindArticlesByDateRangeRequest;
import io.newsdesk.v1.FindArticlesByDateRangeResponse;
import io.newsdesk.v1.FindArticlesByEntityRequest;
import io.newsdesk.v1.FindArticlesByEntityResponse;
import io.newsdesk.v1.FindArticlesByTopicRequest;
import io.newsdesk.v1.FindArticlesByTopicResponse;
import io.newsdesk.v1.GetArticleRequest;
import io.newsdesk.v1.IngestArticleRequest;
import io.newsdesk.v1.IngestArticleResponse;
import io.newsdesk.v1.IngestServiceGrpc;
import io.newsdesk.v1.QueryServiceGrpc;
import io.newsdesk.v1.RawArticle;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ingests one article into newsdesk and runs an entity, a date-range and a
 * topic query with the generated Java client.
 *
 * <pre>java Example [ARTICLE_FILE [ENTITY START END TOPIC]]</pre>
 *
 * The services' addresses come from NEWSDESK_INGEST_ADDRESS and
 * NEWSDESK_QUERY_ADDRESS (default 127.0.0.1:50051 and 127.0.0.1:50052). Exits
 * 1 when the ingested article is missing from a query's results.
 */
public final class Example {
  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  private static Timestamp day(String isoDate) {
    long seconds = LocalDate.parse(isoDate).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    return Timestamp.newBuilder().setSeconds(seconds).build();
  }

  /** Prints one query's matches; true when articleId is among them. */
  private static boolean report(String heading, List<ArticleMatch> matches, long total,
      String articleId) {
    System.out.printf("%s: %d article(s)%n", heading, total);
    boolean found = false;
    for (ArticleMatch m : matches) {
      System.out.printf("  %s  %s%n", m.getArticle().getArticleId(), m.getArticle().getTitle());
      found |= m.getArticle().getArticleId().equals(articleId);
    }
    return found;
  }

  public static void main(String[] args) throws Exception {
    String file = args.length > 0 ? args[0] : "data/seeds/004_5ae21f2a0cf7424a.txt";
    String entity = args.length > 4 ? args[1] : "Zelenskiy";
    String start = args.length > 4 ? args[2] : "2023-04-26";
    String end = args.length > 4 ? args[3] : "2023-04-27";
    String topic = args.length > 4 ? args[4] : "medtop:16000000";

    ManagedChannel ingestChannel = ManagedChannelBuilder
        .forTarget(envOr("NEWSDESK_INGEST_ADDRESS", "127.0.0.1:50051")).usePlaintext().build();
    ManagedChannel queryChannel = ManagedChannelBuilder
        .forTarget(envOr("NEWSDESK_QUERY_ADDRESS", "127.0.0.1:50052")).usePlaintext().build();
    try {
      IngestServiceGrpc.IngestServiceBlockingStub ingest = IngestServiceGrpc
          .newBlockingStub(ingestChannel).withDeadlineAfter(30, TimeUnit.SECONDS);
      QueryServiceGrpc.QueryServiceBlockingStub query = QueryServiceGrpc
          .newBlockingStub(queryChannel).withDeadlineAfter(30, TimeUnit.SECONDS);

      IngestArticleResponse stored = ingest.ingestArticle(IngestArticleRequest.newBuilder()
          .setArticle(RawArticle.newBuilder()
              .setContent(ByteString.copyFrom(Files.readAllBytes(Paths.get(file))))
              .setMetadata(ArticleMetadata.newBuilder().setSource("example")))
          .build());
      String id = stored.getArticle().getArticleId();
      System.out.printf("ingested %s (already existed: %b): %s%n", id,
          stored.getAlreadyExisted(), stored.getArticle().getTitle());

      // The query service follows the ingest log: wait until it has the article.
      while (true) {
        try {
          query.getArticle(GetArticleRequest.newBuilder().setName("articles/" + id).build());
          break;
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.NOT_FOUND) throw e;
          Thread.sleep(100);
        }
      }

      FindArticlesByEntityResponse byEntity = query.findArticlesByEntity(
          FindArticlesByEntityRequest.newBuilder().setEntity(entity).build());
      boolean ok = report("entity " + entity, byEntity.getMatchesList(),
          byEntity.getTotalSize(), id);
      FindArticlesByDateRangeResponse byDate = query.findArticlesByDateRange(
          FindArticlesByDateRangeRequest.newBuilder()
              .setStartTime(day(start)).setEndTime(day(end)).build());
      ok &= report("published in [" + start + ", " + end + ")", byDate.getMatchesList(),
          byDate.getTotalSize(), id);
      FindArticlesByTopicResponse byTopic = query.findArticlesByTopic(
          FindArticlesByTopicRequest.newBuilder().setTopic(topic).build());
      ok &= report("topic " + topic, byTopic.getMatchesList(), byTopic.getTotalSize(), id);

      if (!ok) {
        System.err.println("the ingested article is missing from a query's results");
        System.exit(1);
      }
      System.out.println("all three queries found the ingested article");

      // A bad request: the error's details name the field at fault.
      try {
        ingest.ingestArticle(IngestArticleRequest.newBuilder()
            .setArticle(RawArticle.newBuilder().setContent(ByteString.copyFromUtf8("   ")))
            .build());
      } catch (StatusRuntimeException e) {
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        for (Any detail : details == null ? List.<Any>of() : details.getDetailsList()) {
          if (detail.is(BadRequest.class)) {
            for (BadRequest.FieldViolation v : detail.unpack(BadRequest.class)
                .getFieldViolationsList()) {
              System.out.printf("rejected: %s: field %s: %s%n", e.getStatus().getCode(),
                  v.getField(), v.getDescription());
            }
          }
        }
      }
    } catch (StatusRuntimeException e) {
      // The gRPC code and message the service sent.
      System.err.println("call failed: " + e.getStatus().getCode() + ": "
          + e.getStatus().getDescription());
      System.exit(1);
    } finally {
      ingestChannel.shutdownNow();
      queryChannel.shutdownNow();
    }
  }
}
