// Ingests one article into newsdesk and runs an entity, a date-range and a
// topic query from Node.js, typed with the TypeScript types generated from
// proto/ (clients/node/generate.sh writes them to ./types).
//
//   node example.js [ARTICLE_FILE [ENTITY START END TOPIC]]
//
// The services' addresses come from NEWSDESK_INGEST_ADDRESS and
// NEWSDESK_QUERY_ADDRESS (default 127.0.0.1:50051 and 127.0.0.1:50052); the
// .proto files from NEWSDESK_PROTO_DIR (default: the repository's proto/).
// Exits 1 when the ingested article is missing from a query's results.
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as IngestProto } from './types/ingest_service';
import type { ProtoGrpcType as QueryProto } from './types/query_service';
import type { ArticleMatch__Output } from './types/newsdesk/v1/ArticleMatch';
import type { IngestArticleResponse__Output } from './types/newsdesk/v1/IngestArticleResponse';
import type { GetArticleResponse__Output } from './types/newsdesk/v1/GetArticleResponse';
import type { FindArticlesByEntityResponse__Output } from './types/newsdesk/v1/FindArticlesByEntityResponse';
import type { FindArticlesByDateRangeResponse__Output } from './types/newsdesk/v1/FindArticlesByDateRangeResponse';
import type { FindArticlesByTopicResponse__Output } from './types/newsdesk/v1/FindArticlesByTopicResponse';

const protoDir = process.env.NEWSDESK_PROTO_DIR ?? path.join(__dirname, '..', '..', '..', 'proto');
const loaderOptions: protoLoader.Options = {
  includeDirs: [protoDir, '/usr/include'],
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

function load<T>(file: string): T {
  const definition = protoLoader.loadSync(file, loaderOptions);
  return grpc.loadPackageDefinition(definition) as unknown as T;
}

// Runs one unary call as a promise: `start` makes the call with the callback.
function unary<Response>(start: (callback: grpc.requestCallback<Response>) => void): Promise<Response> {
  return new Promise((resolve, reject) =>
    start((error, response) => (error ? reject(error) : resolve(response!))));
}

function day(isoDate: string): { seconds: string } {
  return { seconds: String(Date.parse(isoDate + 'T00:00:00Z') / 1000) };
}

// Prints one query's matches; true when articleId is among them.
function report(heading: string, matches: ArticleMatch__Output[], total: string,
                articleId: string): boolean {
  console.log(`${heading}: ${total} article(s)`);
  for (const m of matches) console.log(`  ${m.article?.articleId}  ${m.article?.title}`);
  return matches.some((m) => m.article?.articleId === articleId);
}

async function main(): Promise<number> {
  const [file = path.join('data', 'seeds', '004_5ae21f2a0cf7424a.txt'),
    entity = 'Zelenskiy', start = '2023-04-26', end = '2023-04-27',
    topic = 'medtop:16000000'] = process.argv.slice(2);
  const ingestProto = load<IngestProto>('newsdesk/v1/ingest_service.proto');
  const queryProto = load<QueryProto>('newsdesk/v1/query_service.proto');
  const credentials = grpc.credentials.createInsecure();
  const ingest = new ingestProto.newsdesk.v1.IngestService(
    process.env.NEWSDESK_INGEST_ADDRESS ?? '127.0.0.1:50051', credentials);
  const query = new queryProto.newsdesk.v1.QueryService(
    process.env.NEWSDESK_QUERY_ADDRESS ?? '127.0.0.1:50052', credentials);
  const deadline = () => ({ deadline: Date.now() + 30_000 });

  try {
    const stored = await unary<IngestArticleResponse__Output>((cb) => ingest.ingestArticle(
      { article: { content: fs.readFileSync(file), metadata: { source: 'example' } } },
      deadline(), cb));
    const id = stored.article!.articleId;
    console.log(`ingested ${id} (already existed: ${stored.alreadyExisted}): ${stored.article!.title}`);

    // The query service follows the ingest log: wait until it has the article.
    for (;;) {
      try {
        await unary<GetArticleResponse__Output>(
          (cb) => query.getArticle({ name: `articles/${id}` }, deadline(), cb));
        break;
      } catch (e) {
        if ((e as grpc.ServiceError).code !== grpc.status.NOT_FOUND) throw e;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    const byEntity = await unary<FindArticlesByEntityResponse__Output>(
      (cb) => query.findArticlesByEntity({ entity }, deadline(), cb));
    let ok = report(`entity ${entity}`, byEntity.matches, byEntity.totalSize, id);
    const byDate = await unary<FindArticlesByDateRangeResponse__Output>(
      (cb) => query.findArticlesByDateRange({ startTime: day(start), endTime: day(end) },
                                            deadline(), cb));
    ok = report(`published in [${start}, ${end})`, byDate.matches, byDate.totalSize, id) && ok;
    const byTopic = await unary<FindArticlesByTopicResponse__Output>(
      (cb) => query.findArticlesByTopic({ topic }, deadline(), cb));
    ok = report(`topic ${topic}`, byTopic.matches, byTopic.totalSize, id) && ok;

    if (!ok) {
      console.error('the ingested article is missing from a query\'s results');
      return 1;
    }
    console.log('all three queries found the ingested article');
    return 0;
  } catch (e) {
    // A ServiceError carries the gRPC code and the service's message.
    const error = e as grpc.ServiceError;
    console.error(`call failed: ${grpc.status[error.code]}: ${error.details}`);
    return 1;
  } finally {
    ingest.close();
    query.close();
  }
}

main().then((code) => process.exit(code));
