// Amounts move as Money (lib/money.ts), whose functions hold the only arithmetic on minor units:
// this rule reports arithmetic on bigint values anywhere else, using the type checker to know
// which operands are bigint (a literal such as `0n`, a column typed bigint, a parsed amount...).
import { ESLintUtils } from '@typescript-eslint/utils';
import ts from 'typescript';

const arithmetic = new Set(['+', '-', '*', '/', '%', '**']);
const compoundAssignment = new Set(['+=', '-=', '*=', '/=', '%=', '**=']);

/** @type {import('@typescript-eslint/utils').TSESLint.RuleModule<'bigintArithmetic', []>} */
export const noBigintArithmetic = {
  meta: {
    type: 'problem',
    docs: { description: 'Arithmetic on bigint amounts belongs in lib/money.ts (use Money)' },
    messages: {
      bigintArithmetic:
        "raw bigint arithmetic ('{{operator}}'): amounts move as Money; use lib/money.ts's operations",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    const isBigint = (node) => {
      const type = services.getTypeAtLocation(node);
      const parts = type.isUnion() ? type.types : [type];
      return parts.some((part) => (part.flags & ts.TypeFlags.BigIntLike) !== 0) ||
        (checker.getBaseTypeOfLiteralType(type).flags & ts.TypeFlags.BigIntLike) !== 0;
    };
    const report = (node, operator) => context.report({ node, messageId: 'bigintArithmetic', data: { operator } });
    return {
      BinaryExpression(node) {
        if (arithmetic.has(node.operator) && (isBigint(node.left) || isBigint(node.right))) report(node, node.operator);
      },
      AssignmentExpression(node) {
        if (compoundAssignment.has(node.operator) && (isBigint(node.left) || isBigint(node.right))) {
          report(node, node.operator);
        }
      },
      UnaryExpression(node) {
        // a negative literal (-1n) is a value, not arithmetic
        if (node.operator === '-' && node.argument.type !== 'Literal' && isBigint(node.argument)) report(node, '-');
      },
      UpdateExpression(node) {
        if (isBigint(node.argument)) report(node, node.operator);
      },
    };
  },
};

export default { rules: { 'no-bigint-arithmetic': noBigintArithmetic } };
