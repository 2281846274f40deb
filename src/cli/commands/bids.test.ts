// The bid table of `decloud deploy` (as it is drawn live and printed at the end) and the question that
// chooses a bid, answered through a terminal's input: by number, wrong answers asked again, Enter for the
// cheapest. The flow on a real devnet is in deploy.test.ts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import pc from "picocolors";
import type { BidInfo } from "../../client/modules/market/queries.js";
import { cheapestBids } from "../../client/modules/market/wait.js";
import { FakeTerminal } from "../testing/terminal.js";
import { askBid, type BidTableFacts, bidTable, sortBids, waitingLine } from "./bids.js";

const ALPHA = "akash1alphaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa7xk";
const BRAVO = "akash1bravobbbbbbbbbbbbbbbbbbbbbbbbbbbb91c";
const CHARLIE = "akash1charlieccccccccccccccccccccccccc4jrj";

const bid = (provider: string, price: string, gseq = 1): BidInfo => ({
  id: { owner: "akash1owner", dseq: "148", gseq, oseq: 1, provider, bseq: 1 },
  state: "open",
  price: { denom: "uakt", amount: price },
  createdAt: 100,
});

const plain = pc.createColors(false);

const known: BidTableFacts = {
  blockSeconds: 6,
  providers: new Map([
    [ALPHA, { region: "local", audited: true }],
    [BRAVO, { region: "us-east", audited: false }],
    [CHARLIE, { audited: false }],
  ]),
};

describe("the bid table", () => {
  test("one group: numbered cheapest first, price per block and per month, region, audited", () => {
    const lines = bidTable(
      [bid(BRAVO, "950"), bid(ALPHA, "800"), bid(CHARLIE, "10.768")],
      known,
      plain,
      false,
    );
    assert.deepEqual(lines, [
      "  #  PROVIDER        PRICE/BLOCK  ≈/MONTH    REGION   AUDITED",
      "  1  akash1cha…4jrj  10.768 uakt  4.65 AKT   —        ✗",
      "  2  akash1alp…a7xk  800 uakt     345.6 AKT  local    ✔",
      "  3  akash1bra…b91c  950 uakt     410.4 AKT  us-east  ✗",
    ]);
  });

  test("while facts are still being looked up, their cells say so", () => {
    const lines = bidTable(
      [bid(ALPHA, "800"), bid("akash1newcomerdddddddddddddddddddddddddd0q", "900")],
      {
        providers: new Map([[ALPHA, { region: "local", audited: true }]]),
      },
      plain,
      false,
    );
    assert.deepEqual(lines, [
      "  #  PROVIDER        PRICE/BLOCK  ≈/MONTH  REGION  AUDITED",
      "  1  akash1alp…a7xk  800 uakt     …        local   ✔",
      "  2  akash1new…dd0q  900 uakt     …        …       …",
    ]);
  });

  test("several groups: a GROUP column, numbers start again at 1 in each group", () => {
    const bids = [bid(ALPHA, "800", 2), bid(BRAVO, "700", 1), bid(BRAVO, "750", 2), bid(ALPHA, "900", 1)];
    const lines = bidTable(bids, known, plain, true);
    assert.deepEqual(
      lines.map((l) => l.split(/\s{2,}/).slice(1, 4)),
      [
        ["GROUP", "#", "PROVIDER"],
        ["1", "1", "akash1bra…b91c"],
        ["1", "2", "akash1alp…a7xk"],
        ["2", "1", "akash1bra…b91c"],
        ["2", "2", "akash1alp…a7xk"],
      ],
    );
  });

  test("bid 1 of each group is the one --yes leases, equal prices included", () => {
    const bids = [bid(BRAVO, "800"), bid(ALPHA, "800"), bid(CHARLIE, "800.5"), bid(ALPHA, "5", 2)];
    const firstOf = (g: number) => sortBids(bids).find((b) => b.id.gseq === g);
    assert.deepEqual(cheapestBids(bids), [firstOf(1), firstOf(2)]);
  });
});

describe("the line above the live table", () => {
  const cases: [Parameters<typeof waitingLine>[0], string][] = [
    [{ received: 0, secondsLeft: 59.2, canChoose: false }, "Waiting for bids… 0 received, 60 s left"],
    [
      { received: 2, secondsLeft: 7.4, canChoose: true },
      "Waiting for bids… 2 received, 8 s left (Enter to choose now)",
    ],
    [
      { received: 1, secondsLeft: 41, groupsWithout: [2], canChoose: false },
      "Waiting for bids… 1 received (none yet for group 2), 41 s left",
    ],
    [
      { received: 3, secondsLeft: 12, provider: ALPHA, canChoose: false },
      "Waiting for a bid from akash1alp…a7xk… 3 received, 12 s left",
    ],
    [
      { received: 1, secondsLeft: -0.2, canChoose: true },
      "Waiting for bids… 1 received, 0 s left (Enter to choose now)",
    ],
  ];
  for (const [state, line] of cases) {
    test(line, () => assert.equal(waitingLine(state), line));
  }
});

describe("choosing a bid at the terminal", () => {
  const options = sortBids([bid(BRAVO, "950"), bid(ALPHA, "800"), bid(CHARLIE, "1000")]);
  const question = "Lease from which bid? [1-3, default 1 (cheapest)] ";

  test("a number leases that bid of the table", async () => {
    const term = new FakeTerminal();
    const chosen = askBid(term.io, options);
    await term.waitFor(question);
    term.type("2\r");
    assert.equal((await chosen).id.provider, BRAVO);
  });

  test("an answer that is not a bid's number is asked again, saying what to answer; Enter takes the cheapest", async () => {
    const term = new FakeTerminal();
    const chosen = askBid(term.io, options);
    await term.waitFor(question);
    term.type("9\r");
    await term.waitFor(
      '"9" is not one of the bids: answer a number from 1 to 3, or press Enter for the cheapest.',
    );
    await term.waitFor(question, 2);
    term.type("x\r");
    await term.waitFor('"x" is not one of the bids');
    await term.waitFor(question, 3);
    term.type("0\r");
    await term.waitFor('"0" is not one of the bids');
    await term.waitFor(question, 4);
    term.type("\r");
    const pick = await chosen;
    assert.equal(pick.id.provider, ALPHA);
    assert.equal(pick.price.amount, "800");
  });

  test("several groups: the question names the group", async () => {
    const term = new FakeTerminal();
    const chosen = askBid(term.io, [bid(ALPHA, "5", 2)], 2);
    await term.waitFor("Lease group 2 from which bid? [1-1, default 1 (cheapest)] ");
    term.type("1\r");
    assert.equal((await chosen).id.gseq, 2);
  });

  test("Ctrl-C at the question cancels", async () => {
    const term = new FakeTerminal();
    const chosen = askBid(term.io, options);
    await term.waitFor(question);
    term.type("\u0003");
    await assert.rejects(chosen, { name: "CancelledError", message: "Cancelled." });
  });
});
