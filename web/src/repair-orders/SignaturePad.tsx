import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/index.tsx';

/** The drawn signature as a PNG, made when the approval is sent. */
export type SignedPng = () => Promise<Blob>;

/**
 * A signature drawn at the counter on a `<canvas>` with pointer events (a finger on the tablet, a pen
 * or a mouse alike); `onSigned` learns of it when a stroke ends (null once cleared).
 */
export function SignaturePad({ onSigned }: { onSigned: (png: SignedPng | null) => void }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    // The drawing buffer at the device's pixel ratio, so strokes are sharp on a tablet.
    const ratio = window.devicePixelRatio || 1;
    c.width = c.clientWidth * ratio;
    c.height = c.clientHeight * ratio;
    ctx.scale(ratio, ratio);
    ctx.lineWidth = 2.5;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#111';
  }, []);

  const at = (e: PointerEvent) => {
    const box = canvas.current!.getBoundingClientRect();
    return [e.clientX - box.left, e.clientY - box.top] as const;
  };
  const ctx = () => canvas.current?.getContext('2d') ?? null;

  const down = (e: PointerEvent) => {
    const c = ctx();
    if (!c) return;
    e.preventDefault();
    canvas.current!.setPointerCapture(e.pointerId);
    drawing.current = true;
    const [x, y] = at(e);
    c.beginPath();
    c.moveTo(x, y);
    // A dot for a tap, so that a short stroke still marks the canvas.
    c.lineTo(x + 0.1, y + 0.1);
    c.stroke();
  };
  const move = (e: PointerEvent) => {
    const c = ctx();
    if (!drawing.current || !c) return;
    const [x, y] = at(e);
    c.lineTo(x, y);
    c.stroke();
  };
  const up = () => {
    if (!drawing.current) return;
    drawing.current = false;
    const c = canvas.current;
    if (!c) return;
    onSigned(
      () =>
        new Promise<Blob>((resolve, reject) =>
          c.toBlob((png) => (png ? resolve(png) : reject(new Error('no signature image'))), 'image/png'),
        ),
    );
  };
  const clear = () => {
    const c = canvas.current;
    c?.getContext('2d')?.clearRect(0, 0, c.width, c.height);
    onSigned(null);
  };

  return (
    <div class="field signature">
      <span class="label-like" id="signature-label">
        {t('ro.signature')}
      </span>
      <p class="hint">{t('ro.signatureHint')}</p>
      <canvas
        ref={canvas}
        class="signature-pad"
        role="img"
        aria-labelledby="signature-label"
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      <div>
        <button type="button" class="btn btn-small btn-quiet" onClick={clear}>
          {t('ro.signatureClear')}
        </button>
      </div>
    </div>
  );
}

/** `sha256:<hex>` of the signature's PNG: what the approval keeps to prove which image was signed. */
export async function signatureDigest(png: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await png.arrayBuffer());
  return `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
