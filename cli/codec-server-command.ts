import { Command } from 'commander';
import { startCodecServer } from '../clients/codec-server';
import { AesGcmCodec } from '../clients/payload-codec';
import { UserError } from '../core/errors';
import { configFor } from './context';
import { progressLine } from './output';

export function codecServerCommand(): Command {
  return new Command('codec-server')
    .description(
      'serve the payload codec to the Temporal Web UI, so it can show encrypted payloads (needs MEDACTION_PAYLOAD_KEY)',
    )
    .option('--port <n>', 'port on 127.0.0.1', (v) => Number.parseInt(v, 10), 8888)
    .action(async (opts: { port: number }, command: Command) => {
      const config = configFor(command);
      const key = config.temporal.payloadKey;
      if (!key) throw new UserError('no payload key: set MEDACTION_PAYLOAD_KEY (the key the build was run with)', 2);
      const origin = new URL(config.temporal.uiUrl).origin;
      await startCodecServer(new AesGcmCodec(Buffer.from(key.reveal(), 'base64')), opts.port, origin);
      progressLine(
        `codec server on http://127.0.0.1:${opts.port} for ${origin}: in the Web UI, set the codec endpoint to it ` +
          '(Settings → Codec Server), or start the dev server with --ui-codec-endpoint. Ctrl-C stops it.',
      );
      await new Promise(() => undefined);
    });
}
