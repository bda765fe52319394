export { MAIL_CATALOGUE } from '@plugboard/mail-catalogue';
