// Command example ingests one article into newsdesk and runs an entity, a
// date-range and a topic query with the generated Go client.
//
//	example [-article FILE] [-entity NAME] [-start DATE] [-end DATE] [-topic TOPIC]
//
// The services' addresses come from NEWSDESK_INGEST_ADDRESS and
// NEWSDESK_QUERY_ADDRESS (default 127.0.0.1:50051 and 127.0.0.1:50052). It
// exits 1 when the ingested article is missing from a query's results.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	newsdeskv1 "github.com/newsdesk/newsdesk/gen/go/newsdesk/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}

func day(text string) *timestamppb.Timestamp {
	t, err := time.Parse("2006-01-02", text)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bad date %q: %v\n", text, err)
		os.Exit(2)
	}
	return timestamppb.New(t)
}

// report prints one query's matches and says whether articleID is among them.
func report(heading string, matches []*newsdeskv1.ArticleMatch, total int64, articleID string) bool {
	fmt.Printf("%s: %d article(s)\n", heading, total)
	found := false
	for _, m := range matches {
		fmt.Printf("  %s  %s\n", m.GetArticle().GetArticleId(), m.GetArticle().GetTitle())
		found = found || m.GetArticle().GetArticleId() == articleID
	}
	return found
}

func main() {
	article := flag.String("article", "data/seeds/004_5ae21f2a0cf7424a.txt", "article file to ingest")
	entity := flag.String("entity", "Zelenskiy", "entity to query, any spelling or id")
	start := flag.String("start", "2023-04-26", "date range start (inclusive, UTC)")
	end := flag.String("end", "2023-04-27", "date range end (exclusive, UTC)")
	topic := flag.String("topic", "medtop:16000000", "IPTC topic code or label")
	flag.Parse()

	content, err := os.ReadFile(*article)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// grpc-go 1.33 (Debian bookworm): WithInsecure is the plaintext option.
	ingestConn, err := grpc.Dial(envOr("NEWSDESK_INGEST_ADDRESS", "127.0.0.1:50051"), grpc.WithInsecure())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer ingestConn.Close()
	queryConn, err := grpc.Dial(envOr("NEWSDESK_QUERY_ADDRESS", "127.0.0.1:50052"), grpc.WithInsecure())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer queryConn.Close()
	ingest := newsdeskv1.NewIngestServiceClient(ingestConn)
	query := newsdeskv1.NewQueryServiceClient(queryConn)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stored, err := ingest.IngestArticle(ctx, &newsdeskv1.IngestArticleRequest{
		Article: &newsdeskv1.RawArticle{
			Content:  content,
			Metadata: &newsdeskv1.ArticleMetadata{Source: "example"},
		},
	})
	if err != nil {
		// status.Code and status.Convert read the gRPC code and message.
		fmt.Fprintf(os.Stderr, "ingest failed: %s: %s\n", status.Code(err), status.Convert(err).Message())
		os.Exit(1)
	}
	id := stored.GetArticle().GetArticleId()
	fmt.Printf("ingested %s (already existed: %v): %s\n", id, stored.GetAlreadyExisted(), stored.GetArticle().GetTitle())

	// The query service follows the ingest log: wait until it has the article.
	for {
		_, err := query.GetArticle(ctx, &newsdeskv1.GetArticleRequest{Name: "articles/" + id})
		if err == nil {
			break
		}
		if status.Code(err) != codes.NotFound {
			fmt.Fprintln(os.Stderr, "get article failed:", err)
			os.Exit(1)
		}
		time.Sleep(100 * time.Millisecond)
	}

	ok := true
	byEntity, err := query.FindArticlesByEntity(ctx, &newsdeskv1.FindArticlesByEntityRequest{Entity: *entity})
	if err != nil {
		fmt.Fprintln(os.Stderr, "entity query failed:", err)
		os.Exit(1)
	}
	ok = report("entity "+*entity, byEntity.GetMatches(), byEntity.GetTotalSize(), id) && ok

	byDate, err := query.FindArticlesByDateRange(ctx, &newsdeskv1.FindArticlesByDateRangeRequest{
		StartTime: day(*start), EndTime: day(*end)})
	if err != nil {
		fmt.Fprintln(os.Stderr, "date-range query failed:", err)
		os.Exit(1)
	}
	ok = report(fmt.Sprintf("published in [%s, %s)", *start, *end), byDate.GetMatches(), byDate.GetTotalSize(), id) && ok

	byTopic, err := query.FindArticlesByTopic(ctx, &newsdeskv1.FindArticlesByTopicRequest{Topic: *topic})
	if err != nil {
		fmt.Fprintln(os.Stderr, "topic query failed:", err)
		os.Exit(1)
	}
	ok = report("topic "+*topic, byTopic.GetMatches(), byTopic.GetTotalSize(), id) && ok

	if !ok {
		fmt.Fprintln(os.Stderr, "the ingested article is missing from a query's results")
		os.Exit(1)
	}
	fmt.Println("all three queries found the ingested article")

	// A bad request: the error's details name the field at fault.
	_, err = ingest.IngestArticle(ctx, &newsdeskv1.IngestArticleRequest{
		Article: &newsdeskv1.RawArticle{Content: []byte("   ")}})
	for _, detail := range status.Convert(err).Details() {
		if badRequest, isBadRequest := detail.(*errdetails.BadRequest); isBadRequest {
			for _, violation := range badRequest.GetFieldViolations() {
				fmt.Printf("rejected: %s: field %s: %s\n", status.Code(err), violation.GetField(),
					violation.GetDescription())
			}
		}
	}
}
