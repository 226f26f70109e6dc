// Drives docs/examples/javascript/welkin-token.mjs for the example tests, one command per line on stdin.
//   call N URL     N concurrent callWelkin(URL); prints "statuses S1,S2,..." (or the first error once all have settled)
//   headers URL    one call with a caller header in a Headers object (X-Probe: javascript); prints "statuses S"
//   advance S      moves the example's clock (Date.now) S seconds ahead of real time; prints "advanced"
// Errors print "error TYPE: MESSAGE". Nothing here prints a token.
import { createInterface } from "node:readline";
import { callWelkin } from "../../../docs/examples/javascript/welkin-token.mjs";

const realNow = Date.now;
let advancedMs = 0;
Date.now = () => realNow() + advancedMs;

console.log("ready");
for await (const line of createInterface({ input: process.stdin })) {
  const [command, first, second] = line.split(" ");
  try {
    let statuses;
    if (command === "call") {
      // Every call settles before the answer, as the Python driver's pool does; the first failure is the answer.
      const settled = await Promise.allSettled(Array.from({ length: Number(first) }, () => callWelkin(second)));
      const failed = settled.find((s) => s.status === "rejected");
      if (failed) throw failed.reason;
      statuses = settled.map((s) => s.value.status);
    } else if (command === "headers") {
      statuses = [(await callWelkin(first, { headers: new Headers({ "X-Probe": "javascript" }) })).status];
    } else if (command === "advance") {
      advancedMs += Number(first) * 1000;
      console.log("advanced");
      continue;
    } else {
      break;
    }
    console.log(`statuses ${statuses.join(",")}`);
  } catch (error) {
    console.log(`error ${error?.name}: ${String(error?.message ?? error).split("\n")[0]}`);
  }
}
