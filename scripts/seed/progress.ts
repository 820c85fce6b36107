/** A progress bar with the rate and the time left, on stderr (a line per tenth when stderr is not a terminal). */
export interface Progress {
  update(done: number): void;
  finish(): void;
}

const WIDTH = 30;
const clock = (seconds: number) => {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
};

export function progressBar(total: number, unit: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  const tty = stream.isTTY === true;
  let shown = -1;
  let last = 0;
  let done = 0;
  const render = () => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const fraction = total > 0 ? done / total : 1;
    const filled = Math.round(fraction * WIDTH);
    const eta = rate > 0 ? clock((total - done) / rate) : '?';
    return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}%  ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${unit}  ${Math.round(rate).toLocaleString('en')}/s  ETA ${eta}  elapsed ${clock(seconds)}`;
  };
  return {
    update(value) {
      done = value;
      const now = performance.now();
      if (tty) {
        if (now - last < 200) return;
        last = now;
        stream.write(`\r${render()}`);
        return;
      }
      const tenth = Math.floor((done / Math.max(1, total)) * 10);
      if (tenth > shown) {
        shown = tenth;
        stream.write(`${render()}\n`);
      }
    },
    finish() {
      done = total;
      if (tty) stream.write(`\r${render()}\n`);
      else if (shown < 10) stream.write(`${render()}\n`);
    },
  };
}
