import type { RequestHandler } from 'express';
import { Lexer, Source, TokenKind } from 'graphql';
import { fail, type DomainError } from '../lib/errors.js';
import { sendRefusal } from '../lib/http-refusal.js';

/**
 * How deep braces, brackets and parentheses may nest in a document. graphql's parser, its validation
 * and the operation analysis recurse once or more per level: a few thousand levels, which 10,000
 * tokens can write, overflow the call stack (a 500 where validation overflows). 128 is ten times the
 * default depth limit, room for input objects and lists besides.
 */
export const MAX_SOURCE_NESTING = 128;

const opening = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const closing = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * The refusal of a document nested deeper than MAX_SOURCE_NESTING, found by lexing it (strings and
 * comments are single tokens) before it is parsed; null otherwise. Syntax errors and documents over
 * `maxTokens` are left to the parser, which refuses them in its own words.
 */
export function sourceNestingRefusal(text: string, maxTokens: number): DomainError | null {
  const lexer = new Lexer(new Source(text));
  let nesting = 0;
  try {
    for (let tokens = 0, token = lexer.advance(); token.kind !== TokenKind.EOF && tokens <= maxTokens; token = lexer.advance(), tokens++) {
      if (opening.has(token.kind) && ++nesting > MAX_SOURCE_NESTING) {
        return fail.queryTooComplex(`The document nests more than ${MAX_SOURCE_NESTING} levels of braces, brackets or parentheses`, {
          nesting,
          limit: MAX_SOURCE_NESTING,
        });
      }
      if (closing.has(token.kind)) nesting--;
    }
  } catch {
    // a syntax error: the parser answers it
  }
  return null;
}

/**
 * The check over HTTP, as express middleware before Apollo Server: an error its plugins throw before
 * parsing is answered as an internal error (500), so the document is looked at here (a POST body's or
 * a GET's `query`).
 */
export function sourceNestingGuard(maxTokens: number): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    const query = typeof body === 'object' && body !== null && 'query' in body ? body.query : req.query['query'];
    const refusal = typeof query === 'string' ? sourceNestingRefusal(query, maxTokens) : null;
    if (refusal) sendRefusal(res, refusal);
    else next();
  };
}
