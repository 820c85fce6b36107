import type { ApolloServerPlugin } from '@apollo/server';

/** graphql-js's field, type and enum value suggestions, as it appends them to a message */
const suggestion = / ?Did you mean(.+?)\?$/;

/**
 * No suggestions ("Did you mean …?") in any error, in production: they spell out the schema to a
 * prober. Apollo's hideSchemaDetailsFromClientErrors cuts them from validation errors only; variables
 * are coerced later, by the gateway, whose errors suggest enum values ("Did you mean the enum value
 * "CARD"?"). Cut here from every error before it is formatted, as Apollo's own plugin does.
 */
export function hiddenSuggestionsPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = error.message.replace(suggestion, '');
        },
      };
    },
  };
}
