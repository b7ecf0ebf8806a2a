import type { FastifyBaseLogger } from 'fastify';

/** A text message to a phone number. Bodies carry no clinical detail (SMS is not a PHI channel). */
export interface SmsMessage {
  readonly to: string;
  readonly text: string;
}

/**
 * Where an SMS gateway plugs in (Twilio, Vonage, an operator's SMPP bridge …): implement `send` and
 * pass it to the reminders. The default only logs that a message would have been sent, naming the
 * appointment and never the number or the text.
 */
export interface SmsSender {
  send(message: SmsMessage, appointmentId: string): Promise<void>;
}

export function logOnlySmsSender(log: FastifyBaseLogger): SmsSender {
  return {
    send: (_message, appointmentId) => {
      log.info({ appointmentId }, 'visit reminder SMS not sent: no SMS gateway configured');
      return Promise.resolve();
    },
  };
}
