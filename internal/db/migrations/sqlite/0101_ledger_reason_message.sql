-- A reason composed by a capability ("社区义诊 · 170 分钟") is also kept as
-- what it is made of, a catalogue key and its arguments as JSON
-- ({"key":"earning.reason.attendance","args":["社区义诊",170]}), so each reader
-- sees it in their own language. '' for a reason typed by a person, and for
-- every transfer made before this column: those show their text. Adding a
-- column with a constant default rewrites no row, so the append-only
-- triggers are untouched.
ALTER TABLE ledger_transfers ADD COLUMN reason_msg TEXT NOT NULL DEFAULT '';
