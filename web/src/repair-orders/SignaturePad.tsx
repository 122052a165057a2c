import { useEffect, useRef } from 'preact/hooks';
import type { StoreClient } from '../api/store.ts';
import { useI18n } from '../i18n/index.tsx';
import { sealPhoto, uploadPhoto } from './walk-around/api.ts';

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

/**
 * 客户签字: the signature's PNG uploaded and sealed on the order like an inspection photo (its SHA-256 and
 * the server's time kept), named by the approval as `photo:<id>` so the image itself can be shown later.
 */
export async function sealSignature(api: StoreClient, repairOrderId: string, png: Blob): Promise<string> {
  const photoId = await uploadPhoto(api, repairOrderId, png, 'image/png');
  await sealPhoto(api, repairOrderId, photoId, { purpose: 'signature' });
  return `photo:${photoId}`;
}
