// IPC of "Dùng thử" (the demo on a fresh machine): whether it runs or can run, starting it, leaving it.
import { z } from 'zod';

export const demoStatusSchema = z.object({
  /** This app can run the demo at all (false where it cannot switch runtimes, e.g. a test harness): nothing is offered then. */
  offered: z.boolean(),
  /** The app works in the demo's own data folder, tokens and server now. */
  active: z.boolean(),
  /** The tools the demo needs are here (SoftHSM, pkcs11-tool, openssl); otherwise `problem` says what is missing. */
  available: z.boolean(),
  problem: z.object({ messageVi: z.string(), messageEn: z.string() }).nullable(),
  leader: z.object({ token: z.string(), name: z.string(), pin: z.string() }),
  agency: z.object({ token: z.string(), name: z.string(), pin: z.string() }),
  /** The other demo agency, played by the robot. */
  robotName: z.string(),
});
export type DemoStatus = z.infer<typeof demoStatusSchema>;

export const demoChannels = {
  'demo.status': { request: z.strictObject({}), response: demoStatusSchema },
  /** Makes the demo (first time), starts its services and switches the app to it; the renderer reloads after. */
  'demo.start': { request: z.strictObject({}), response: demoStatusSchema },
  /** Stops the demo, removes everything it made, and switches back to the real setup. */
  'demo.leave': { request: z.strictObject({}), response: demoStatusSchema },
} as const;

export const demoEvents = {} as const;
