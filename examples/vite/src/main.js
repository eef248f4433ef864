// The shared example app (examples/app), built by Vite.
import * as localconv from 'localconv';
import { startApp } from '../../app/app.js';

startApp(localconv);
