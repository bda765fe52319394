/**
 * @plugboard/notify — privacyIDEA's UserNotification (sendmail / sendsms through the durable
 * outbox), named SMTP and SMS gateway configurations, and eventhooks' SimpleEmailHook and
 * AwsSesEmailHook. This file is the package's whole public API.
 */
export { NotifyError, UnknownTagError } from './errors';
export type { NotifyErrorCode } from './errors';

export { renderTemplate, templateTags, escapeHtml, singleLine, tagText } from './template';
export type { TagValues, RenderOptions } from './template';

export { smtpConfigSchema, parseSmtpConfig, maskSmtpConfig, MASK } from './smtp-config';
export type { SmtpConfig, SmtpConfigInput, SmtpSecurity } from './smtp-config';
export { smsGatewayConfigSchema, parseSmsGatewayConfig, maskSmsGatewayConfig } from './sms-gateway-config';
export type { SmsGatewayConfig, SmsGatewayConfigInput } from './sms-gateway-config';
export { NotifyConfigStore } from './config-store';
export type { NotifyConfigStoreOptions, Stored } from './config-store';

export { SmtpTransportCache, smtpTransportOptions } from './smtp-transports';
export type { PooledTransport } from './smtp-transports';
export { SMTP_CHANNEL, createMailDeliverer, classifySmtpError, messageIdFor } from './mail-delivery';
export type { MailAddress, MailPayload } from './mail-delivery';
export { SMS_CHANNEL, sendSms, createSmsDeliverer } from './sms-gateway';
export type { SmsPayload } from './sms-gateway';
export { NotifyDelivery } from './notify-delivery';
export { testSmtpConfig, testSmsGateway } from './config-test-send';
export type { TestSendResult } from './config-test-send';
export type { NotifyDeliveryOptions } from './notify-delivery';

export { NOTIFY_TYPE, RECIPIENT_DIRECTORY, recipientOf, splitList, isPlainAddress } from './recipients';
export type { NotifyType, Recipient, RecipientDirectory } from './recipients';
export { UserNotification, DEFAULT_SUBJECT, DEFAULT_BODY, DEFAULT_SMS_BODY } from './user-notification';
export { NOTIFY_SETTINGS, NOTIFICATION_TAGS, NOTIFICATION_TAG_DOCS, notificationTags } from './notification-tags';
export type { NotifySettings } from './notification-tags';

export { EmailHook, renderBody, setting } from './email-hook';
export type { EmailHookOptions, EmailHookEnv, EmailSettings, HookMail, TriggerResult, TriggerData } from './email-hook';
export { SimpleEmailHook } from './simple-email-hook';
export type { SimpleEmailHookOptions } from './simple-email-hook';
export { AwsSesEmailHook } from './aws-ses-email-hook';
export { emailHookConfigSchema, parseEmailHookConfig, maskEmailHookConfig } from './email-hook-config';
export type { EmailHookConfig, EmailHookConfigInput, EmailHookConfigPatch, EmailHookKind, EmailHookSettings } from './email-hook-config';
export { EmailHookStore } from './email-hook-store';
export type { EmailHookStoreOptions } from './email-hook-store';
export { NOTIFY_MIGRATIONS, NOTIFY_SCOPE, CONFIG_TOPIC } from './notify-schema';
export type { NotifyDatabase } from './store-database';
export { EmailHooks, createEmailHook } from './email-hooks';
export type { CreateEmailHookOptions, EmailHooksOptions, EmailHookFired, EmailHookDelivery } from './email-hooks';
export type { AwsSesEmailHookOptions, AwsCredentials } from './aws-ses-email-hook';
export { NOTIFY_ERRORS, NotifyErrors, isNotifyError } from './error-codes';
