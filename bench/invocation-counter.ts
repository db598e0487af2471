/**
 * Counts the Lambda invocations the local Cognito endpoint makes. The stack runs its TriggerInvoker
 * in this process (packages/local/src/cognito/trigger-invoker.ts), so wrapping the prototype's `invoke` sees
 * every trigger call, whichever instance makes it, without a hook in packages/local.
 */
import { TriggerInvoker } from "@cognito-passwordless/local/cognito/trigger-invoker.ts";

export interface InvocationCounter {
  /** Invocations by trigger name (DefineAuthChallenge, …) since the counter was installed. */
  counts(): Record<string, number>;
  /** Puts the original method back. */
  uninstall(): void;
}

export function countTriggerInvocations(): InvocationCounter {
  const original = TriggerInvoker.prototype.invoke;
  const counts: Record<string, number> = {};
  TriggerInvoker.prototype.invoke = function countedInvoke(this: TriggerInvoker, trigger, event) {
    counts[trigger] = (counts[trigger] ?? 0) + 1;
    return original.call(this, trigger, event);
  };
  return {
    counts: () => ({ ...counts }),
    uninstall() {
      TriggerInvoker.prototype.invoke = original;
    },
  };
}
